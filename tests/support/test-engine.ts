// The engine as most engine tests run it: real files in a temp folder, the real openai SDK against
// the loopback fake Admin API, the key in a memory secret store, a clock the test controls, and
// one-shot retries that do not really wait.
import { createEngine, type CliEngine, type EngineOptions } from '../../src/main/engine/engine'
import { createMemoryStore } from '../../src/main/engine/secrets'
import type { FakeOpenAIServer } from './fake-openai-server'

export async function testEngine(
  o: {
    dir: string
    server: FakeOpenAIServer
    now: () => Date
    /** Stored as the default account's key unless `secretStore` is given. */
    key?: string
  } & Partial<EngineOptions>
): Promise<CliEngine> {
  const { dir, server, key, ...extra } = o
  let secretStore = extra.secretStore
  if (!secretStore) {
    secretStore = createMemoryStore()
    if (key !== undefined) await secretStore.set('default', key)
  }
  return createEngine({
    dataDir: dir,
    baseURL: server.baseURL,
    timeoutMs: 2_000,
    sleep: async () => {},
    ...extra,
    secretStore
  })
}
