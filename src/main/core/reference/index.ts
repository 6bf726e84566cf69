export { GITHUB_RAW_BASE, REFERENCE_FILES, referenceFileUrl } from './manifest';
export type { ReferenceFile } from './manifest';
export { defaultReferenceDir, fetchReferenceFiles, referenceRoots, referenceStatus, verifiedUrialDir } from './referenceFiles';
export type { FetchOptions, FetchResult, ReferenceFileState, ReferenceFileStatus, ReferenceLocations } from './referenceFiles';
