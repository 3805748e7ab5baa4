// What main wants the user to know beside any error (a file kept aside, costs missing for some
// days, limits not saved…): the tray window and the top-up window's last step show the same list.
import type { ReactNode } from 'react'

export function Notices({ notices }: { notices: readonly string[] }): ReactNode {
  if (notices.length === 0) return null
  return (
    <ul className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <li key={notice}>{notice}</li>
      ))}
    </ul>
  )
}
