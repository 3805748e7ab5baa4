// A small fake of the parts of `electron` the shell uses. Vitest aliases `electron` to this file
// (vitest.config.ts), so src/main/electron/* can be tested in plain Node where the Electron binary
// is absent. Split by area; each part records calls so tests can assert on them.
export * from './electron-shell'
export * from './electron-web'
