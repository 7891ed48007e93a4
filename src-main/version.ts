/** nnlab's version, recorded with every run. */
import { version } from '../package.json';

export const APP_VERSION: string = version;
