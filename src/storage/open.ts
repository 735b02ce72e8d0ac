import { LocalStorage } from './local.js';
import { isS3Url, parseS3Url, S3Storage, sharedS3Client } from './s3.js';
import type { RunStorage } from './storage.js';

/**
 * The storage of a run at `location`: an `s3://bucket/prefix` address is a run on an object store
 * (settings from the environment: s3SettingsFromEnv), anything else a local folder (a network
 * file system mounted as one included). `scratchKey` is where a local run keeps its tasks' scratch
 * folders, inside the run folder.
 */
export function openRunStorage(location: string, scratchKey: string): RunStorage {
  if (isS3Url(location)) {
    parseS3Url(location); // a bad address fails here, before any client is made
    return new S3Storage(location, sharedS3Client());
  }
  return new LocalStorage(location, scratchKey);
}
