import { Injectable } from '@nestjs/common';
import {
  type EnrolmentCompletedDto,
  type FalkorWebhookEvent,
  OnFalkorEvent,
  type RewardUnlockedDto,
} from '../../src/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compile-time checks of the listener typing: `npm run typecheck` fails if any of them breaks. */
@Injectable()
export class ListenerTypings {
  @OnFalkorEvent('enrolment.completed')
  single(event: FalkorWebhookEvent<'enrolment.completed'>): boolean {
    const payload: EnrolmentCompletedDto = event.payload;
    return payload.enrolment.status.length >= 0;
  }

  @OnFalkorEvent(['reward.unlocked', 'enrolment.completed'])
  union(event: FalkorWebhookEvent<'reward.unlocked' | 'enrolment.completed'>): string {
    if (event.type === 'reward.unlocked') {
      const narrowed: Equal<typeof event.payload, RewardUnlockedDto> = true;
      return narrowed ? event.payload.reward.id : '';
    }
    return event.payload.enrolment.id;
  }

  @OnFalkorEvent('attendance.checked_in')
  withoutArgument(): void {}

  // @ts-expect-error a listener of reward.unlocked cannot take an enrolment event
  @OnFalkorEvent('reward.unlocked')
  mismatched(event: FalkorWebhookEvent<'enrolment.completed'>): void {
    void event;
  }

  // @ts-expect-error a listener of two types must accept both
  @OnFalkorEvent(['reward.unlocked', 'enrolment.completed'])
  tooNarrow(event: FalkorWebhookEvent<'reward.unlocked'>): void {
    void event;
  }

  // @ts-expect-error the type is not in the catalog
  @OnFalkorEvent('pathway.archived')
  unknownType(): void {}
}
