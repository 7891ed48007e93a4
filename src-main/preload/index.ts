/**
 * The preload: exposes exactly the LabBridge (call + onEvent, results as data; see bridge.ts) to the
 * sandboxed renderer through contextBridge, and nothing else — no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('nnlab', createBridge(ipcRenderer));
