import { Injectable } from '@nestjs/common';
import {
  type FalkorAttendeeState,
  type FalkorEnrolmentsPayloadDto,
  type FalkorEventsPayloadDto,
  type FalkorWebhookEvent,
  OnFalkorEvent,
  type FalkorRewardsPayloadDto,
} from '../../src/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compile-time checks of the listener typing: `npm run typecheck` fails if any of them breaks. */
@Injectable()
export class ListenerTypings {
  @OnFalkorEvent('enrolments')
  single(event: FalkorWebhookEvent<'enrolments'>): boolean {
    const payload: FalkorEnrolmentsPayloadDto = event.payload;
    return payload.data.enrolments.every((enrolment) => enrolment.status.state.length >= 0);
  }

  @OnFalkorEvent(['rewards', 'events'])
  union(event: FalkorWebhookEvent<'rewards' | 'events'>): string {
    if (event.type === 'rewards') {
      const narrowed: Equal<typeof event.payload, FalkorRewardsPayloadDto> = true;
      return narrowed ? (event.payload.data.rewards[0]?.vouchers[0]?.guid ?? '') : '';
    }
    const narrowed: Equal<typeof event.payload, FalkorEventsPayloadDto> = true;
    const state: FalkorAttendeeState | undefined =
      event.payload.data.events[0]?.attendees[0]?.state;
    return narrowed ? (state ?? '') : '';
  }

  @OnFalkorEvent('events')
  withoutArgument(): void {}

  // The fields carry their wire names (`ID` in capitals); undeclared ones are kept as `unknown`.
  @OnFalkorEvent('events')
  wireNames(event: FalkorWebhookEvent<'events'>): string {
    const id: string = event.payload.data.pathway.ID;
    // @ts-expect-error the pathway's id is `ID`: `id` is an undeclared field, so unknown
    const lower: string = event.payload.data.pathway.id;
    return id + lower;
  }

  // @ts-expect-error a listener of rewards cannot take an enrolments event
  @OnFalkorEvent('rewards')
  mismatched(event: FalkorWebhookEvent<'enrolments'>): void {
    void event;
  }

  // @ts-expect-error a listener of two types must accept both
  @OnFalkorEvent(['rewards', 'enrolments'])
  tooNarrow(event: FalkorWebhookEvent<'rewards'>): void {
    void event;
  }

  // @ts-expect-error the type is not in the catalog
  @OnFalkorEvent('certificates')
  unknownType(): void {}
}
