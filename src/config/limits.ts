/** More threads than this only adds memory and contention; the command line and YAML share the cap. */
export const MAX_WORKERS = 512;
