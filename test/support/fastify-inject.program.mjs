// Runs the inject options read from standard input against a Fastify app that imports
// FalkorWebhookTestingModule from the package built in the folder given as the first argument,
// and prints the answers and the raw bodies its listener received, as JSON.
import 'reflect-metadata';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const packageDir = process.argv[2];
const { OnFalkorEvent } = await import(pathToFileURL(join(packageDir, 'index.js')).href);
const { FalkorWebhookTestingModule } = await import(
  pathToFileURL(join(packageDir, 'testing', 'index.js')).href
);

class Recorder {
  received = [];

  record(event) {
    this.received.push(event.rawBody.toString('utf8'));
  }
}
Reflect.decorate(
  [OnFalkorEvent(['enrolments', 'rewards'])],
  Recorder.prototype,
  'record',
  Object.getOwnPropertyDescriptor(Recorder.prototype, 'record'),
);
Reflect.decorate([Injectable()], Recorder);

class AppModule {}
Reflect.decorate(
  [Module({ imports: [FalkorWebhookTestingModule.forRoot()], providers: [Recorder] })],
  AppModule,
);

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}
const requests = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const app = await NestFactory.create(AppModule, new FastifyAdapter(), {
  rawBody: true,
  logger: false,
});
await app.init();
const fastify = app.getHttpAdapter().getInstance();
await fastify.ready();
const answers = [];
for (const request of requests) {
  const response = await fastify.inject(request);
  answers.push({ statusCode: response.statusCode, body: response.json() });
}
const { received } = app.get(Recorder);
await app.close();
process.stdout.write(JSON.stringify({ answers, received }));
