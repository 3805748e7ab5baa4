// Renders the whole window against the fake bridge, the way main.tsx does against the preload
// (the live regions included).
import { render, screen, type RenderResult } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { ApiProvider } from '../../src/renderer/src/api'
import { App } from '../../src/renderer/src/App'
import { Announcer } from '../../src/renderer/src/components/LiveRegion'
import { createTestBridge, type BridgeState, type TestBridge } from '../support/test-bridge'

export interface Rendered extends RenderResult {
  bridge: TestBridge
  user: ReturnType<typeof userEvent.setup>
}

export async function renderApp(initial: Partial<BridgeState> = {}): Promise<Rendered> {
  const bridge = createTestBridge(initial)
  const user = userEvent.setup()
  const result = render(
    <ApiProvider api={bridge.api}>
      <Announcer>
        <App />
      </Announcer>
    </ApiProvider>
  )
  // Loaded once the first view's heading is on screen.
  await screen.findByRole('heading', { level: 1 })
  return { ...result, bridge, user }
}
