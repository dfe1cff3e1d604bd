import { FalkorOptionalText, FalkorText, type FalkorOptional } from './field.rules.js';

/**
 * `data.pathway` of every delivery: the pathway the records belong to.
 */
export class FalkorPathwayDto {
  /** The pathway's name. */
  @FalkorOptionalText()
  name?: FalkorOptional<string>;

  /** The pathway's id, e.g. `FA-HCPG-06RF`. */
  @FalkorText()
  ID: string;

  [extra: string]: unknown;
}
