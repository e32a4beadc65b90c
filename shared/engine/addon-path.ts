import { fileURLToPath } from 'node:url';

// Where `npm run build:native` puts the addon. Apart from addon.ts so that a caller can check for
// the file without loading it (importing addon.ts throws while it is missing).
export const addonPath = fileURLToPath(new URL('../../native/build/Release/trtfarm.node', import.meta.url));
