// Apart from the model schema so that worker threads, which score with models but never parse a
// pipeline, do not load the schema library.

/** fastText's label prefix ("__label__medical"). */
export const LABEL_PREFIX = '__label__';
