// "updated 3 min ago" (ticking) and a stale badge when the data is older than it should be.
import type { ReactNode } from 'react'
import type { Status } from '../../../shared/status'
import { useNow } from '../api'
import { formatRelative } from '../format'
import { ClockIcon } from './icons'

export function Freshness({ status, locale }: { status: Status; locale: string }): ReactNode {
  const now = useNow(15_000)
  return (
    <p className="freshness">
      <span>
        {status.lastUpdated
          ? `updated ${formatRelative(status.lastUpdated, now, locale)}`
          : 'not updated yet'}
      </span>
      {status.stale ? (
        <span
          className="badge badge-stale"
          title="No successful refresh for more than 3 poll intervals"
        >
          <ClockIcon />
          Stale
        </span>
      ) : null}
    </p>
  )
}
