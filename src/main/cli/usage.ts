// What every CLI command shares: the documented exit codes and the bad-usage error.
export const EXIT = { ok: 0, usage: 2, auth: 3, network: 4, storage: 5 } as const

/** Bad usage: the command line itself is wrong (exit 2, with the usage text). */
export class UsageError extends Error {}

export function exitCodeFor(kind: string | undefined): number {
  switch (kind) {
    case undefined:
      return EXIT.ok
    // OPENAI_BASE_URL would send the key over plain http: bad input, nothing was sent.
    case 'insecure_url':
      return EXIT.usage
    case 'auth':
    case 'permission':
    case 'no_key':
    case 'keychain':
      return EXIT.auth
    case 'storage':
      return EXIT.storage
    default:
      return EXIT.network
  }
}
