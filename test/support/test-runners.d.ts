/**
 * Types for the Vitest blocks of docs/testing.md. The docs type-check compiles every TypeScript
 * block, but this repository does not install Vitest: these declarations give the part of `vitest`,
 * `vitest/config` and `unplugin-swc` that the blocks use, with those packages' signatures. Vitest's
 * `describe`, `it`, `expect`, hooks and `vi.fn` follow Jest's API, so Jest's types stand in for them.
 * The blocks themselves were run with vitest 5 and unplugin-swc 2.
 */

declare module 'vitest' {
  import type { jest } from '@jest/globals';

  export {
    afterAll,
    afterEach,
    beforeAll,
    beforeEach,
    describe,
    expect,
    it,
    test,
  } from '@jest/globals';

  /** Vitest's mock utilities: `vi.fn<typeof f>()` and `vi.spyOn(object, 'method')`. */
  export const vi: { readonly fn: typeof jest.fn; readonly spyOn: typeof jest.spyOn };
}

declare module 'vitest/config' {
  /** The part of Vitest's configuration the docs use. */
  export interface UserConfig {
    plugins?: unknown[];
    test?: {
      include?: string[];
      exclude?: string[];
      environment?: string;
      globals?: boolean;
      root?: string;
      setupFiles?: string | string[];
      testTimeout?: number;
    };
  }

  export function defineConfig(config: UserConfig): UserConfig;
}

declare module 'unplugin-swc' {
  /** The options of unplugin-swc: SWC's own options, and where to read the tsconfig from. */
  interface Options {
    tsconfigFile?: string | boolean;
    include?: string | RegExp | (string | RegExp)[];
    exclude?: string | RegExp | (string | RegExp)[];
    module?: { type?: 'es6' | 'commonjs' | 'nodenext' };
    jsc?: Record<string, unknown>;
    sourceMaps?: boolean;
  }

  const swc: {
    vite(options?: Options): unknown;
    rollup(options?: Options): unknown;
    esbuild(options?: Options): unknown;
    webpack(options?: Options): unknown;
  };
  export default swc;
}
