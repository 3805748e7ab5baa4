// What shutting down waits for: every tracked piece of work, including work that starts while it
// waits (a poll that ends by saving), and nothing once all has settled, failures included.
import { createInFlight } from '../src/main/engine/in-flight'

function deferred() {
  let resolve!: () => void
  let reject!: (e: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('in-flight work', () => {
  it('settled() waits for tracked work, also work tracked while it waits', async () => {
    const work = createInFlight()
    const poll = deferred()
    const save = deferred()
    work.track(poll.promise)
    let settled = false
    const waiting = work.settled().then(() => (settled = true))
    work.track(save.promise)
    poll.resolve()
    await poll.promise
    await Promise.resolve()
    expect(settled).toBe(false)
    save.resolve()
    await waiting
    expect(settled).toBe(true)
  })

  it('a failed piece of work counts as settled and track() hands back the same promise', async () => {
    const work = createInFlight()
    const failing = deferred()
    expect(work.track(failing.promise)).toBe(failing.promise)
    failing.reject(new Error('network'))
    await expect(failing.promise).rejects.toThrow('network')
    await expect(work.settled()).resolves.toBeUndefined()
  })

  it('resolves at once with nothing running', async () => {
    await expect(createInFlight().settled()).resolves.toBeUndefined()
  })
})
