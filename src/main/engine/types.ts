// Engine data types shared by the modules under src/main/engine.

/** One UTC day of costs as fetched from GET /v1/organization/costs (bucket_width=1d). */
export interface DayCosts {
  /** "YYYY-MM-DD", the UTC day the bucket starts. */
  date: string
  /** Sum of all results in the bucket, in `currency`. */
  total: number
  /** Lowercase ISO 4217 ("usd"). */
  currency: string
  /** Cost by line item ("gpt-4o-mini, input"); results with a null line item go to "(other)". */
  lineItems: Record<string, number>
  /** Cost by project id; results with a null project go to "(other)". */
  projects: Record<string, number>
}

/** Completions usage for one model over the requested range. */
export interface ModelUsageTotals {
  model: string
  inputTokens: number
  outputTokens: number
  requests: number
}
