import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * The Rewards webhook: fulfils each voucher that is `pending` or `notified`.
 */
@Injectable()
export class VouchersListener {
  private readonly logger = new Logger(VouchersListener.name);

  /** Fulfils the vouchers of each reward of the delivery that wait for it. */
  @OnFalkorEvent('rewards')
  fulfil(event: FalkorWebhookEvent<'rewards'>): void {
    for (const reward of event.payload.data.rewards) {
      for (const voucher of reward.vouchers) {
        if (voucher.state === 'pending' || voucher.state === 'notified') {
          this.logger.log(
            `fulfil voucher ${voucher.guid} (${reward.name ?? reward.ID}) for ${voucher.email ?? 'a learner'}, expires ${voucher.expires ?? 'never'}`,
          );
        }
      }
    }
  }
}
