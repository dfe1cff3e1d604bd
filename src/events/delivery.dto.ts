import { FalkorNested, FalkorText } from './field.rules.js';
import { FalkorPathwayDto } from './pathway.dto.js';

/**
 * What every delivery's `data` holds besides its list of records: the pathway.
 */
export class FalkorDeliveryDataDto {
  /** The pathway the records belong to. */
  @FalkorNested(() => FalkorPathwayDto)
  pathway: FalkorPathwayDto;

  [extra: string]: unknown;
}

/**
 * What every delivery holds besides its `data`: its type.
 */
export class FalkorDeliveryDto {
  /** The webhook's type: `enrolments`, `events` or `rewards`. */
  @FalkorText()
  type: string;

  [extra: string]: unknown;
}
