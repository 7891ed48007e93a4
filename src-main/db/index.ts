/** The run store: nnlab's SQLite database of experiments, runs and series. No Electron imports. */
export { StoreError, type StoreErrorCode } from './errors';
export { defaultDatabasePath, userDataDir, DB_FILE_NAME, APP_DIR_NAME } from './location';
export { openDatabase, type Db, type OpenOptions, DEFAULT_BUSY_TIMEOUT_MS } from './open';
export { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from './migrations';
export { configKey, canonicalJson } from './config-key';
export { currentOwner, isProcessAlive, type Owner } from './owner';
export * from './store';
export { DatasetStore, type DatasetSummary } from './datasets';
