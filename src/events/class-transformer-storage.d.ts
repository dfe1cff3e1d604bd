/**
 * class-transformer keeps the metadata of its decorators in a storage it does not export from its
 * entry point; the payload transformer reads it from the same CommonJS module the entry point uses.
 */
declare module 'class-transformer/cjs/storage.js' {
  /** The storage of `@Type`, `@Transform`, `@Expose` and `@Exclude` metadata. */
  export const defaultMetadataStorage: unknown;
}
