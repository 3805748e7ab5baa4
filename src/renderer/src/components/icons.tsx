// Small stroke icons drawn inline (no icon font or image requests; CSP allows SVG attributes).
import type { ReactNode } from 'react'
import type { Level } from '../../../shared/status'

function Icon({ children, size = 16 }: { children: ReactNode; size?: number }): ReactNode {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  )
}

export const RefreshIcon = (): ReactNode => (
  <Icon>
    <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9" />
    <path d="M13.5 2.5v3h-3" />
  </Icon>
)

export const GearIcon = (): ReactNode => (
  <Icon>
    <circle cx="8" cy="8" r="2.2" />
    <path d="M8 1.5v1.8M8 12.7v1.8M1.5 8h1.8M12.7 8h1.8M3.4 3.4l1.3 1.3M11.3 11.3l1.3 1.3M3.4 12.6l1.3-1.3M11.3 4.7l1.3-1.3" />
  </Icon>
)

export const BackIcon = (): ReactNode => (
  <Icon>
    <path d="M10 3 5 8l5 5" />
  </Icon>
)

export const ExternalIcon = (): ReactNode => (
  <Icon size={12}>
    <path d="M6.5 3H3v10h10V9.5M9.5 2.5h4v4M13.5 2.5 7.5 8.5" />
  </Icon>
)

export const ClockIcon = (): ReactNode => (
  <Icon size={12}>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 4.5V8l2.5 1.5" />
  </Icon>
)

export const AlertIcon = (): ReactNode => (
  <Icon>
    <circle cx="8" cy="8" r="6.3" />
    <path d="M8 4.8v3.6M8 11v.2" />
  </Icon>
)

/** A different shape per level, so the level never depends on colour alone. */
export function LevelIcon({ level }: { level: Level }): ReactNode {
  switch (level) {
    case 'ok':
      return (
        <Icon size={12}>
          <circle cx="8" cy="8" r="6.3" />
          <path d="m5.2 8.2 1.9 1.9 3.7-4" />
        </Icon>
      )
    case 'low':
      return (
        <Icon size={12}>
          <path d="M8 1.8 14.6 13.6H1.4Z" />
          <path d="M8 6.2v3.2M8 11.6v.1" />
        </Icon>
      )
    case 'critical':
      return (
        <Icon size={12}>
          <path d="M5.3 1.5h5.4l3.8 3.8v5.4l-3.8 3.8H5.3l-3.8-3.8V5.3Z" />
          <path d="m5.8 5.8 4.4 4.4M10.2 5.8l-4.4 4.4" />
        </Icon>
      )
    case 'unknown':
      return (
        <Icon size={12}>
          <circle cx="8" cy="8" r="6.3" strokeDasharray="2.2 1.8" />
          <path d="M6.3 6.3a1.8 1.8 0 1 1 2.4 1.7c-.5.2-.7.6-.7 1.1M8 11.3v.1" />
        </Icon>
      )
  }
}
