/**
 * electron-builder's afterPack hook: sets Electron's fuses in the packed app with @electron/fuses,
 * before the installers are made (and signed). Off: running the binary as plain Node
 * (ELECTRON_RUN_AS_NODE), NODE_OPTIONS and --inspect arguments, loading the app from anywhere but
 * app.asar; on: cookie encryption, and the asar integrity check where electron-builder embeds the
 * hash (macOS and Windows). The tests on this project's machines pack a stand-in Electron (a
 * shell script): there the hook says it skips the fuses, since there is no fuse wire to flip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses, pathToFuseFile } from '@electron/fuses';

/** The marker @electron/fuses looks for in an Electron binary. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** The fuses for a platform (electron-builder's platform name: darwin, mas, win32, linux). */
export function fuseConfig(platform) {
  return {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // electron-builder writes the asar's integrity hash into the app on macOS and Windows only
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'darwin' || platform === 'mas' || platform === 'win32',
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
  };
}

/** The packed Electron executable (or .app) in appOutDir. */
export function electronPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName ?? name);
}

export default async function afterPack(context) {
  const target = electronPath(context);
  const fuseFile = pathToFuseFile(target);
  let binary;
  try {
    binary = readFileSync(fuseFile);
  } catch (e) {
    throw new Error(`afterPack: cannot read the packed Electron binary ${fuseFile} to set its fuses: ${e.message}`);
  }
  if (!binary.includes(SENTINEL)) {
    console.log(`  • afterPack: skipping @electron/fuses: ${fuseFile} is not an Electron binary (the stand-in Electron the tests pack with); a real build sets the fuses`);
    return;
  }
  const arm64Mac = (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') && context.arch === 3; // builder-util's Arch.arm64
  await flipFuses(target, { ...fuseConfig(context.electronPlatformName), resetAdHocDarwinSignature: arm64Mac });
  console.log(`  • afterPack: fuses set in ${fuseFile}`);
}
