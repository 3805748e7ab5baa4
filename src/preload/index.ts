// The bridge between the sandboxed renderer and main: exposes exactly `window.creditTray`, one
// method per channel of the IPC contract. The renderer gets payloads only — never `ipcRenderer`,
// never the IPC event (its `sender` would hand the page an ipcRenderer back).
// This file is bundled to CommonJS with no externals (a sandboxed preload cannot require npm
// packages), so it imports only `electron` and src/shared.
import { contextBridge, ipcRenderer } from 'electron'
import {
  API_CHANNELS,
  type CreditTrayApi,
  type EventChannel,
  type EventChannels,
  type InvokeChannel,
  type InvokeChannels
} from '../shared/ipc'

type Request<C extends InvokeChannel> = InvokeChannels[C]['request']
type Response<C extends InvokeChannel> = InvokeChannels[C]['response']

/** Channels without a payload are invoked with no argument, so main can reject any extra one. */
function invoke<C extends InvokeChannel>(
  channel: C,
  ...payload: Request<C> extends void ? [] : [Request<C>]
): Promise<Response<C>> {
  return ipcRenderer.invoke(channel, ...payload) as Promise<Response<C>>
}

/** Subscribe to a main -> renderer event; the returned function removes exactly this listener. */
function subscribe<C extends EventChannel>(
  channel: C,
  deliver: (payload: EventChannels[C]) => void
): () => void {
  const listener = (_event: unknown, payload: EventChannels[C]): void => deliver(payload)
  ipcRenderer.on(channel, listener)
  let subscribed = true
  return () => {
    if (!subscribed) return
    subscribed = false
    ipcRenderer.removeListener(channel, listener)
  }
}

const api: CreditTrayApi = {
  getStatus: () => invoke(API_CHANNELS.getStatus),
  refresh: () => invoke(API_CHANNELS.refresh),
  getKeyInfo: () => invoke(API_CHANNELS.getKeyInfo),
  setKey: (key) => invoke(API_CHANNELS.setKey, { key }),
  clearKey: () => invoke(API_CHANNELS.clearKey),
  recordBalance: (amount) => invoke(API_CHANNELS.recordBalance, { amount }),
  recordTopUp: (amount) => invoke(API_CHANNELS.recordTopUp, { amount }),
  getSettings: () => invoke(API_CHANNELS.getSettings),
  setSettings: (patch) => invoke(API_CHANNELS.setSettings, patch),
  openExternal: (page) => invoke(API_CHANNELS.openExternal, { page }),
  openTopUp: () => invoke(API_CHANNELS.openTopUp),
  hideWindow: () => invoke(API_CHANNELS.hideWindow),
  closeWindow: () => invoke(API_CHANNELS.closeWindow),
  exportCsv: () => invoke(API_CHANNELS.exportCsv),
  getAccounts: () => invoke(API_CHANNELS.getAccounts),
  switchAccount: (name) => invoke(API_CHANNELS.switchAccount, { name }),
  addAccount: (name, projectIds) => invoke(API_CHANNELS.addAccount, { name, projectIds }),
  removeAccount: (name) => invoke(API_CHANNELS.removeAccount, { name }),
  getTeamServer: () => invoke(API_CHANNELS.getTeamServer),
  setTeamServer: (input) => invoke(API_CHANNELS.setTeamServer, input),
  clearTeamServer: () => invoke(API_CHANNELS.clearTeamServer),
  setSpendLimit: (amount) => invoke(API_CHANNELS.setSpendLimit, { amount }),
  addSpendAlert: (amount, recipients) => invoke(API_CHANNELS.addSpendAlert, { amount, recipients }),
  onStatus: (listener) => subscribe('status:changed', (status) => listener(status)),
  onShowView: (listener) => subscribe('view:show', (payload) => listener(payload.view)),
  onAccounts: (listener) => subscribe('accounts:changed', (state) => listener(state))
}

contextBridge.exposeInMainWorld('creditTray', api)
