import {
  type ApiConfig,
  createServiceDeps,
  ensureUser,
  type MailTransport,
  type ServiceDeps,
} from '@tradepool/api/server';
import type { Database } from '@tradepool/db';
import type { Clock } from '@tradepool/domain';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Env } from './env';
import { stripeCheckout, stripeClient } from './stripe';

export function apiConfigFromEnv(env: Env, version: string): ApiConfig {
  return {
    environment: env.nodeEnv,
    version,
    paymentProvider: env.paymentProvider,
    demoAccounts: env.seedDemo,
    jwtSecret: env.jwtSecret,
    secretsKey: env.secretsKey,
    requireAdmin2fa: env.requireAdmin2fa,
    loginFailuresPer15Min: env.loginFailuresPer15Min,
    registrationsPerHour: env.registrationsPerHour,
    secureCookies: env.isProduction,
    modelWebhook: {
      initialSecret: env.modelWebhookSecret,
      pinnedSecret: env.modelWebhookSecretGenerated ? null : env.modelWebhookSecret,
    },
    modelApiKey: env.modelApiKey,
  };
}

export function buildServices(input: {
  env: Env;
  database: Database;
  log: Logger;
  clock: Clock;
  version: string;
}): ServiceDeps {
  const stripe = input.env.stripe ? stripeClient(input.env.stripe) : null;
  return createServiceDeps({
    database: input.database,
    clock: input.clock,
    log: input.log,
    config: apiConfigFromEnv(input.env, input.version),
    checkout: stripe
      ? stripeCheckout(stripe, input.env.publicUrl ?? `http://localhost:${input.env.port}`)
      : null,
  });
}

/** SMTP when SMTP_URL is set; otherwise mail stays in the outbox (and the log). */
export function mailTransport(env: Env): MailTransport | null {
  if (!env.smtpUrl) {
    return null;
  }
  const transporter = nodemailer.createTransport(env.smtpUrl);
  return {
    async send(message) {
      await transporter.sendMail({
        from: env.mailFrom,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
  };
}

/** ADMIN_EMAIL/ADMIN_PASSWORD: an admin is created on start when no account has that email; an existing one is left alone. */
export async function bootstrapAdmin(env: Env, services: ServiceDeps): Promise<void> {
  if (!env.admin) {
    return;
  }
  const { created } = await ensureUser(services, {
    email: env.admin.email,
    password: env.admin.password,
    role: 'ADMIN',
    displayName: 'Administrator',
    action: 'admin.bootstrap',
  });
  services.log.info(
    { email: env.admin.email },
    created ? 'bootstrap admin created' : 'bootstrap admin already exists',
  );
}
