import {
  displayForTray,
  positionTrayWindow,
  reservedEdges,
  trayEdge,
  type DisplayLike,
  type Rectangle
} from '../src/main/electron/window-position'
import { makeDisplay, resetElectronShellFake, screen } from './fakes/electron-shell'

const WINDOW = { width: 360, height: 480 }

function rectOf(point: { x: number; y: number }, size = WINDOW): Rectangle {
  return { ...point, ...size }
}
function inside(inner: Rectangle, outer: Rectangle): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  )
}
function overlaps(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

// A macOS laptop: 25 px menu bar at the top, the Dock at the bottom.
const MAC: DisplayLike = {
  bounds: { x: 0, y: 0, width: 1440, height: 900 },
  workArea: { x: 0, y: 25, width: 1440, height: 805 }
}
// Windows 1080p with the taskbar at the bottom (40 px).
const WIN_BOTTOM: DisplayLike = {
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1920, height: 1040 }
}
const WIN_LEFT: DisplayLike = {
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 62, y: 0, width: 1858, height: 1080 }
}
const WIN_RIGHT: DisplayLike = {
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 0, width: 1858, height: 1080 }
}
const WIN_TOP: DisplayLike = {
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 40, width: 1920, height: 1040 }
}
// Ubuntu: GNOME top bar (32 px) and the dock on the left (70 px).
const UBUNTU: DisplayLike = {
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 70, y: 32, width: 1850, height: 1048 }
}

describe('which edge the tray is on', () => {
  it('reads reserved edges from the work area', () => {
    expect(reservedEdges(MAC)).toEqual(['top', 'bottom'])
    expect(reservedEdges(WIN_BOTTOM)).toEqual(['bottom'])
    expect(reservedEdges(WIN_LEFT)).toEqual(['left'])
    expect(reservedEdges(WIN_RIGHT)).toEqual(['right'])
    expect(reservedEdges(UBUNTU)).toEqual(['top', 'left'])
  })

  it('picks the reserved strip that holds the icon when several edges are reserved', () => {
    expect(trayEdge(MAC, { x: 1200, y: 12 }, 'darwin')).toBe('top') // not the Dock
    expect(trayEdge(UBUNTU, { x: 1800, y: 16 }, 'linux')).toBe('top')
    expect(trayEdge(UBUNTU, { x: 35, y: 600 }, 'linux')).toBe('left')
  })

  it('uses the nearest edge when the icon is inside the work area (auto-hidden taskbar)', () => {
    const autoHide: DisplayLike = { bounds: WIN_BOTTOM.bounds, workArea: WIN_BOTTOM.bounds }
    expect(trayEdge(autoHide, { x: 1800, y: 1070 }, 'win32')).toBe('bottom')
    expect(trayEdge(autoHide, { x: 1910, y: 500 }, 'win32')).toBe('right')
    // Dead centre: the platform's usual place decides.
    expect(trayEdge(autoHide, { x: 960, y: 540 }, 'win32')).toBe('bottom')
    expect(trayEdge(autoHide, { x: 960, y: 540 }, 'linux')).toBe('top')
  })
})

describe('positionTrayWindow', () => {
  it('macOS: right below the menu bar, centred on the icon', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: { x: 1000, y: 0, width: 22, height: 24 },
      cursor: { x: 1010, y: 10 },
      display: MAC,
      platform: 'darwin'
    })
    expect(pos).toEqual({ x: 1011 - 180, y: 25 })
  })

  it('macOS: an icon near the right edge keeps the window on screen', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: { x: 1400, y: 0, width: 22, height: 24 },
      cursor: { x: 1410, y: 10 },
      display: MAC,
      platform: 'darwin'
    })
    expect(pos).toEqual({ x: 1440 - 360, y: 25 })
  })

  it('Windows, bottom taskbar: just above the taskbar, clamped at the right', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: { x: 1800, y: 1048, width: 24, height: 24 },
      cursor: { x: 1810, y: 1060 },
      display: WIN_BOTTOM,
      platform: 'win32'
    })
    expect(pos).toEqual({ x: 1920 - 360, y: 1040 - 480 })
  })

  it('Windows, bottom taskbar: centred on an icon further left', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: { x: 1000, y: 1048, width: 24, height: 24 },
      cursor: { x: 1010, y: 1060 },
      display: WIN_BOTTOM,
      platform: 'win32'
    })
    expect(pos).toEqual({ x: 1012 - 180, y: 560 })
  })

  it('Windows, icon in the overflow flyout above the taskbar: above the icon', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: { x: 1700, y: 980, width: 24, height: 24 },
      cursor: { x: 1710, y: 990 },
      display: WIN_BOTTOM,
      platform: 'win32'
    })
    expect(pos.y).toBe(980 - 480)
    expect(overlaps(rectOf(pos), { x: 1700, y: 980, width: 24, height: 24 })).toBe(false)
  })

  it('Windows, taskbar on the left: to the right of it, vertically centred on the icon', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: { x: 19, y: 700, width: 24, height: 24 },
      cursor: { x: 30, y: 710 },
      display: WIN_LEFT,
      platform: 'win32'
    })
    expect(pos).toEqual({ x: 62, y: 712 - 240 })
  })

  it('Windows, taskbar on the right: to the left of it, clamped at the bottom', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: { x: 1877, y: 1040, width: 24, height: 24 },
      cursor: { x: 1890, y: 1050 },
      display: WIN_RIGHT,
      platform: 'win32'
    })
    expect(pos).toEqual({ x: 1858 - 360, y: 1080 - 480 })
  })

  it('Windows, taskbar at the top: below it', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: { x: 1500, y: 8, width: 24, height: 24 },
      cursor: { x: 1510, y: 20 },
      display: WIN_TOP,
      platform: 'win32'
    })
    expect(pos).toEqual({ x: 1512 - 180, y: 40 })
  })

  it('Linux without tray bounds: at the cursor, below the top panel', () => {
    for (const trayBounds of [undefined, null, { x: 0, y: 0, width: 0, height: 0 }]) {
      const pos = positionTrayWindow({
        windowSize: WINDOW,
        trayBounds,
        cursor: { x: 1600, y: 14 },
        display: UBUNTU,
        platform: 'linux'
      })
      expect(pos, JSON.stringify(trayBounds)).toEqual({ x: 1600 - 180, y: 32 })
    }
  })

  it('Linux without tray bounds, clicked in a left dock: beside the dock', () => {
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: null,
      cursor: { x: 35, y: 900 },
      display: UBUNTU,
      platform: 'linux'
    })
    expect(pos).toEqual({ x: 70, y: 1080 - 480 })
  })

  it('Linux bottom panel (KDE): above the panel at the cursor', () => {
    const kde: DisplayLike = {
      bounds: { x: 0, y: 0, width: 2560, height: 1440 },
      workArea: { x: 0, y: 0, width: 2560, height: 1396 }
    }
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds: undefined,
      cursor: { x: 2300, y: 1420 },
      display: kde,
      platform: 'linux'
    })
    expect(pos).toEqual({ x: 2120, y: 1396 - 480 })
  })

  it('a window bigger than the work area keeps its top-left corner visible', () => {
    const pos = positionTrayWindow({
      windowSize: { width: 2000, height: 1200 },
      trayBounds: { x: 1000, y: 0, width: 22, height: 24 },
      cursor: { x: 0, y: 0 },
      display: MAC,
      platform: 'darwin'
    })
    expect(pos).toEqual({ x: 0, y: 25 })
  })

  it('returns whole pixels even for odd-sized icons', () => {
    const pos = positionTrayWindow({
      windowSize: { width: 361, height: 480 },
      trayBounds: { x: 1000, y: 0, width: 23, height: 24 },
      cursor: { x: 0, y: 0 },
      display: MAC,
      platform: 'darwin'
    })
    expect(Number.isInteger(pos.x) && Number.isInteger(pos.y)).toBe(true)
  })
})

describe('multiple displays', () => {
  // Primary 1920×1080 at the origin; a second monitor to its LEFT (negative x) with its own
  // bottom taskbar; a third ABOVE the primary (negative y) with a top menu bar.
  const primary = makeDisplay(
    1,
    { x: 0, y: 0, width: 1920, height: 1080 },
    { x: 0, y: 0, width: 1920, height: 1040 }
  )
  const left = makeDisplay(
    2,
    { x: -1920, y: 0, width: 1920, height: 1080 },
    { x: -1920, y: 0, width: 1920, height: 1040 }
  )
  const above = makeDisplay(
    3,
    { x: 0, y: -1080, width: 1920, height: 1080 },
    { x: 0, y: -1055, width: 1920, height: 1055 }
  )

  beforeEach(() => {
    resetElectronShellFake()
    screen.setDisplays([primary, left, above], 1)
  })

  it('picks the display holding the icon, or the cursor when there are no bounds', () => {
    expect(
      displayForTray(screen, { x: -150, y: 1048, width: 24, height: 24 }, { x: 5, y: 5 }).id
    ).toBe(2)
    expect(
      displayForTray(screen, { x: 900, y: -1080, width: 22, height: 24 }, { x: 5, y: 5 }).id
    ).toBe(3)
    expect(displayForTray(screen, { x: 0, y: 0, width: 0, height: 0 }, { x: -500, y: 10 }).id).toBe(
      2
    )
    expect(displayForTray(screen, undefined, { x: 800, y: 600 }).id).toBe(1)
  })

  it('display left of the primary (negative x): stays on that display', () => {
    const trayBounds = { x: -150, y: 1048, width: 24, height: 24 }
    const display = displayForTray(screen, trayBounds, { x: -140, y: 1060 })
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds,
      cursor: { x: -140, y: 1060 },
      display,
      platform: 'win32'
    })
    expect(pos).toEqual({ x: -360, y: 560 })
    expect(inside(rectOf(pos), left.workArea)).toBe(true)
  })

  it('display above the primary (negative y): below its menu bar', () => {
    const trayBounds = { x: 900, y: -1080, width: 22, height: 24 }
    const display = displayForTray(screen, trayBounds, { x: 0, y: 0 })
    const pos = positionTrayWindow({
      windowSize: WINDOW,
      trayBounds,
      cursor: { x: 0, y: 0 },
      display,
      platform: 'darwin'
    })
    expect(pos).toEqual({ x: 911 - 180, y: -1055 })
    expect(inside(rectOf(pos), above.workArea)).toBe(true)
  })

  it('Linux cursor on the left display near its corner: clamped into that display', () => {
    const cursor = { x: -1915, y: 1075 }
    const display = displayForTray(screen, null, cursor)
    const pos = positionTrayWindow({ windowSize: WINDOW, cursor, display, platform: 'linux' })
    expect(pos).toEqual({ x: -1920, y: 1040 - 480 })
  })

  it('wherever the icon is, the window lies fully inside the work area and off the icon', () => {
    for (const display of [primary, left, above, UBUNTU, MAC, WIN_LEFT, WIN_RIGHT, WIN_TOP]) {
      const { bounds } = display
      for (let fx = 0; fx <= 1; fx += 0.125) {
        for (let fy = 0; fy <= 1; fy += 0.125) {
          const icon = {
            x: Math.round(bounds.x + fx * (bounds.width - 24)),
            y: Math.round(bounds.y + fy * (bounds.height - 24)),
            width: 24,
            height: 24
          }
          for (const platform of ['darwin', 'win32', 'linux'] as const) {
            const pos = positionTrayWindow({
              windowSize: WINDOW,
              trayBounds: icon,
              cursor: { x: icon.x, y: icon.y },
              display,
              platform
            })
            const where = `${JSON.stringify(icon)} on ${JSON.stringify(display.workArea)}`
            expect(inside(rectOf(pos), display.workArea), where).toBe(true)
            // Icons in a taskbar strip are never covered by the window.
            const inStrip = !overlaps(icon, display.workArea)
            if (inStrip) expect(overlaps(rectOf(pos), icon), where).toBe(false)
          }
        }
      }
    }
  })
})
