/** The two Electron IPC channels of the API, shared by the main-side adapter and the preload. Imports nothing. */
export const IPC_CHANNELS = {
  /** renderer → main, `ipcRenderer.invoke(call, method, params)` → `ApiResult`. */
  call: 'api:call',
  /** main → renderer, `webContents.send(event, eventName, payload)`. */
  event: 'api:event',
} as const;
