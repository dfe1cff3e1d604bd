import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { BENCH_PATH } from '../bench.config.js';

@Controller(BENCH_PATH)
class BareController {
  @Post()
  @HttpCode(200)
  receive(@Body() body: Record<string, unknown>): { received: true; type: unknown } {
    return { received: true, type: body.event };
  }
}

/** The reference: a POST route that only gets the parsed JSON body and answers 200. */
@Module({ controllers: [BareController] })
export class BareBenchModule {}
