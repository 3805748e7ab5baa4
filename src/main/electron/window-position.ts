// Where the tray window opens: next to the tray icon, on whichever edge the taskbar / menu bar /
// panel is (top on macOS and most Linux desktops, bottom on Windows by default, left or right
// when the user moved it), centred on the icon and kept fully inside the work area. Pure: the
// caller supplies the display (see `displayForTray`) and the cursor.

export interface Point {
  x: number
  y: number
}
export interface Size {
  width: number
  height: number
}
export interface Rectangle extends Point, Size {}

export interface DisplayLike {
  /** The whole screen, in global (multi-monitor) coordinates; may be negative. */
  bounds: Rectangle
  /** The screen minus taskbars, docks and panels. */
  workArea: Rectangle
}

export type Edge = 'top' | 'bottom' | 'left' | 'right'

export interface TrayWindowPlacement {
  windowSize: Size
  /** The icon's bounds from the click; null/undefined or a zero rect where unknown (Linux). */
  trayBounds?: Rectangle | null
  cursor: Point
  display: DisplayLike
  platform: NodeJS.Platform
}

/** The subset of Electron's `screen` needed to pick a display. */
export interface ScreenLike {
  getDisplayMatching(rect: Rectangle): DisplayLike
  getDisplayNearestPoint(point: Point): DisplayLike
}

/** Space between the panel and the window on the side facing the icon. */
export const WINDOW_GAP = 0

function hasArea(r: Rectangle | null | undefined): r is Rectangle {
  return !!r && r.width > 0 && r.height > 0
}

/**
 * The display the window belongs on: the one holding the icon, or the cursor when the icon's
 * position is unknown (Linux panels report no bounds).
 */
export function displayForTray<D extends DisplayLike>(
  screen: {
    getDisplayMatching(rect: Rectangle): D
    getDisplayNearestPoint(point: Point): D
  },
  trayBounds: Rectangle | null | undefined,
  cursor: Point
): D {
  return hasArea(trayBounds)
    ? screen.getDisplayMatching(trayBounds)
    : screen.getDisplayNearestPoint(cursor)
}

/** Edges of the display that the work area leaves out (where a taskbar/panel sits). */
export function reservedEdges(display: DisplayLike): Edge[] {
  const { bounds: b, workArea: w } = display
  const edges: Edge[] = []
  if (w.y > b.y) edges.push('top')
  if (w.y + w.height < b.y + b.height) edges.push('bottom')
  if (w.x > b.x) edges.push('left')
  if (w.x + w.width < b.x + b.width) edges.push('right')
  return edges
}

function distanceToEdge(display: DisplayLike, p: Point, edge: Edge): number {
  const b = display.bounds
  switch (edge) {
    case 'top':
      return Math.abs(p.y - b.y)
    case 'bottom':
      return Math.abs(b.y + b.height - p.y)
    case 'left':
      return Math.abs(p.x - b.x)
    case 'right':
      return Math.abs(b.x + b.width - p.x)
  }
}

/** Where menu bars and taskbars live by default, to break ties. */
function defaultEdge(platform: NodeJS.Platform): Edge {
  return platform === 'win32' ? 'bottom' : 'top'
}

/**
 * Which edge the icon sits on. First: the strip outside the work area that holds the anchor
 * (the icon's centre, or the cursor). Failing that (auto-hidden taskbars, Windows' overflow
 * flyout, panels that reserve nothing) the nearest reserved edge, else the nearest screen edge.
 */
export function trayEdge(display: DisplayLike, anchor: Point, platform: NodeJS.Platform): Edge {
  const w = display.workArea
  if (anchor.y < w.y) return 'top'
  if (anchor.y >= w.y + w.height) return 'bottom'
  if (anchor.x < w.x) return 'left'
  if (anchor.x >= w.x + w.width) return 'right'
  const reserved = reservedEdges(display)
  const candidates: Edge[] =
    reserved.length > 0 ? reserved : [defaultEdge(platform), 'top', 'bottom', 'left', 'right']
  let best = candidates[0] ?? defaultEdge(platform)
  for (const edge of candidates)
    if (distanceToEdge(display, anchor, edge) < distanceToEdge(display, anchor, best)) best = edge
  return best
}

function clamp(value: number, min: number, max: number): number {
  // A window larger than the work area keeps its top-left corner visible.
  return Math.max(min, Math.min(value, max))
}

/** The window's top-left corner, in whole pixels. */
export function positionTrayWindow(placement: TrayWindowPlacement): Point {
  const { windowSize: size, display, platform } = placement
  const w = display.workArea
  // The icon, or a point-sized stand-in at the cursor.
  const icon: Rectangle = hasArea(placement.trayBounds)
    ? placement.trayBounds
    : { x: placement.cursor.x, y: placement.cursor.y, width: 0, height: 0 }
  const centre: Point = { x: icon.x + icon.width / 2, y: icon.y + icon.height / 2 }
  const edge = trayEdge(display, centre, platform)

  let x: number
  let y: number
  switch (edge) {
    case 'top':
      x = centre.x - size.width / 2
      y = Math.max(w.y, icon.y + icon.height) + WINDOW_GAP
      break
    case 'bottom':
      x = centre.x - size.width / 2
      y = Math.min(w.y + w.height, icon.y) - size.height - WINDOW_GAP
      break
    case 'left':
      x = Math.max(w.x, icon.x + icon.width) + WINDOW_GAP
      y = centre.y - size.height / 2
      break
    case 'right':
      x = Math.min(w.x + w.width, icon.x) - size.width - WINDOW_GAP
      y = centre.y - size.height / 2
      break
  }
  return {
    x: Math.round(clamp(x, w.x, w.x + w.width - size.width)),
    y: Math.round(clamp(y, w.y, w.y + w.height - size.height))
  }
}
