// A button that opens one of OpenAI's pages in the browser, marked with the external icon.
import type { ReactNode } from 'react'
import type { ExternalPage } from '../../../shared/ipc'
import { useApi } from '../api'
import { ExternalIcon } from './icons'

export function ExternalButton({
  page,
  className = 'btn',
  children
}: {
  page: ExternalPage
  className?: string
  children: ReactNode
}): ReactNode {
  const api = useApi()
  return (
    <button
      type="button"
      className={className}
      // The renderer names one of the contract's page ids, never a URL: main maps the id to its
      // allowlisted platform.openai.com address (src/main/electron/external-links.ts).
      onClick={() => void api.openExternal(page) /* eng-disable OPEN_EXTERNAL_JS_CHECK: an id */}
    >
      {children} <ExternalIcon />
    </button>
  )
}
