import { Injectable, Logger } from '@nestjs/common';
import { type FalkorWebhookEvent, OnFalkorEvent } from 'nestjs-falkor-webhook';

/**
 * Listens to the Rewards webhook.
 */
@Injectable()
export class RewardListener {
  private readonly logger = new Logger(RewardListener.name);

  /** Logs each unlocked reward. */
  @OnFalkorEvent('reward.unlocked')
  onReward(event: FalkorWebhookEvent<'reward.unlocked'>): void {
    const { user, reward } = event.payload;
    this.logger.log(
      `${event.type}: user ${user.id} unlocked ${reward.kind ?? 'reward'} ${reward.id}`,
    );
  }
}
