import { fileURLToPath } from 'node:url';

/** The shared data beside the repository (`../shared/data`); MRE_SHARED_DATA overrides it. */
export const SHARED_DATA: string =
  process.env.MRE_SHARED_DATA ?? fileURLToPath(new URL('../../shared/data', import.meta.url));
