import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * The Rewards webhook, one voucher at a time: fulfils each voucher that becomes `pending`
 * (obtained, the learner not told yet), once, however many deliveries carry it.
 */
@Injectable()
export class VouchersListener {
  private readonly logger = new Logger(VouchersListener.name);

  /** Fulfils a voucher; its `guid` is what a fulfilment system would key it on. */
  @OnFalkorEvent('voucher.pending')
  fulfil({ payload }: FalkorWebhookEvent<'voucher.pending'>): void {
    const { reward, voucher } = payload;
    this.logger.log(
      `fulfil voucher ${voucher.guid} (${reward.name || reward.ID}) for ${voucher.email || 'a learner'}, expires ${voucher.expires || 'never'}`,
    );
  }
}
