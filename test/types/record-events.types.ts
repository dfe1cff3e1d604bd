import { Injectable } from '@nestjs/common';
import {
  type FalkorAttendeeDto,
  type FalkorAttendeeRecord,
  type FalkorDeliveryType,
  type FalkorEnrolmentDto,
  type FalkorEnrolmentRecord,
  type FalkorEventDto,
  type FalkorEventType,
  type FalkorPathwayDto,
  type FalkorRecordEventType,
  type FalkorRewardDto,
  type FalkorVoucherDto,
  type FalkorVoucherRecord,
  type FalkorWebhookEvent,
  type FalkorWebhookReceipt,
  OnFalkorEvent,
} from '../../src/index.js';

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Fails to compile unless its argument is `true`. */
function assertType<T extends true>(): T | undefined {
  return undefined;
}

// The payload of each record event is its record with its parents.
assertType<Equal<FalkorWebhookEvent<'attendee.booked'>['payload']['attendee']['guid'], string>>();
assertType<Equal<FalkorWebhookEvent<'attendee.booked'>['payload'], FalkorAttendeeRecord>>();
assertType<Equal<FalkorWebhookEvent<'voucher.expired'>['payload'], FalkorVoucherRecord>>();
assertType<Equal<FalkorWebhookEvent<'enrolment.completed'>['payload'], FalkorEnrolmentRecord>>();
assertType<Equal<FalkorWebhookEvent<'voucher.pending'>['payload']['voucher'], FalkorVoucherDto>>();
assertType<Equal<FalkorWebhookEvent<'voucher.pending'>['payload']['reward'], FalkorRewardDto>>();
assertType<Equal<FalkorWebhookEvent<'attendee.absent'>['payload']['event'], FalkorEventDto>>();
assertType<
  Equal<FalkorWebhookEvent<'attendee.absent'>['payload']['attendee'], FalkorAttendeeDto>
>();
assertType<
  Equal<FalkorWebhookEvent<'enrolment.updated'>['payload']['pathway'], FalkorPathwayDto>
>();
assertType<
  Equal<FalkorWebhookEvent<'enrolment.updated'>['payload']['enrolment'], FalkorEnrolmentDto>
>();
assertType<Equal<FalkorWebhookEvent<'attendee.booked'>['type'], 'attendee.booked'>>();
// Delivery details come with every record event, as with the delivery types.
assertType<Equal<FalkorWebhookEvent<'voucher.redeemed'>['rawBody'], Buffer>>();
assertType<Equal<FalkorWebhookEvent<'voucher.redeemed'>['secretId'], string | undefined>>();

// The record events are event types, not delivery types; the default event is a delivery.
assertType<Equal<Extract<FalkorEventType, FalkorRecordEventType>, FalkorRecordEventType>>();
assertType<Equal<Extract<FalkorDeliveryType, FalkorRecordEventType>, never>>();
assertType<Equal<FalkorWebhookEvent['type'], 'enrolments' | 'events' | 'rewards'>>();
assertType<
  Equal<
    FalkorRecordEventType,
    | 'enrolment.updated'
    | 'enrolment.completed'
    | 'attendee.updated'
    | 'attendee.booked'
    | 'attendee.attended'
    | 'attendee.absent'
    | 'voucher.updated'
    | 'voucher.pending'
    | 'voucher.notified'
    | 'voucher.verify'
    | 'voucher.redeemed'
    | 'voucher.expired'
  >
>();

// The receipt may carry the counts of changes.
assertType<
  Equal<
    FalkorWebhookReceipt['changes'],
    { readonly fired: number; readonly alreadyDone: number } | undefined
  >
>();

/** Compile-time checks of record event listeners: `npm run typecheck` fails if any breaks. */
@Injectable()
export class RecordEventTypings {
  @OnFalkorEvent('voucher.pending')
  pending(event: FalkorWebhookEvent<'voucher.pending'>): string {
    return event.payload.voucher.guid + event.payload.reward.ID + event.payload.pathway.ID;
  }

  @OnFalkorEvent('attendee.booked')
  booked(event: FalkorWebhookEvent<'attendee.booked'>): string {
    const guid: string = event.payload.attendee.guid;
    return guid + event.payload.event.attendees.length;
  }

  @OnFalkorEvent(['enrolment.updated', 'enrolment.completed'])
  enrolment(event: FalkorWebhookEvent<'enrolment.updated' | 'enrolment.completed'>): string {
    return event.payload.enrolment.email + event.payload.enrolment.status.state;
  }

  @OnFalkorEvent(['attendee.updated', 'voucher.updated'])
  either(event: FalkorWebhookEvent<'attendee.updated' | 'voucher.updated'>): string {
    // Checking the type narrows the payload.
    return event.type === 'attendee.updated'
      ? event.payload.attendee.state
      : event.payload.voucher.state;
  }

  @OnFalkorEvent('enrolment.completed')
  withoutArgument(): void {}

  // @ts-expect-error a listener of voucher.pending cannot take an attendee event
  @OnFalkorEvent('voucher.pending')
  mismatched(event: FalkorWebhookEvent<'attendee.booked'>): void {
    void event;
  }

  // @ts-expect-error a listener of a record event cannot take its delivery type's event
  @OnFalkorEvent('voucher.redeemed')
  batch(event: FalkorWebhookEvent<'rewards'>): void {
    void event;
  }

  // @ts-expect-error not a record event: the docs name no "attendee.cancelled"
  @OnFalkorEvent('attendee.cancelled')
  unknownState(): void {}

  // @ts-expect-error record events are singular: "vouchers.pending" is no event
  @OnFalkorEvent('vouchers.pending')
  misspelt(): void {}

  narrowing(event: FalkorWebhookEvent<'voucher.notified'>): void {
    // @ts-expect-error a voucher record has no attendee
    void event.payload.attendee;
    // @ts-expect-error a record event's payload is the record, not the delivery
    void event.payload.data;
  }
}

// @ts-expect-error a wrong name is no event type
export type Wrong = FalkorWebhookEvent<'attendee.booking'>;
