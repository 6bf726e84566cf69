import { contextBridge, ipcRenderer } from 'electron';
import type { AlignApi } from './api';

// Exactly one narrow object, no ipcRenderer passthrough: the page can call these functions and
// nothing else in the main process. The annotation rejects any extra member.
const api: AlignApi = {
  version: () => ipcRenderer.invoke('app:version') as Promise<string>,
};

contextBridge.exposeInMainWorld('api', api);
