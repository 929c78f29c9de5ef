// E-mail and SMS transports behind one small interface, so a provider is a new implementation,
// not a change to the dispatcher. The default logs one line per message (masked recipient, no
// body); SMTP_URL switches e-mail to SMTP (nodemailer, loaded only then).
import { maskEmail, maskPhone } from '../../auth/masking';
import type { Logger } from '../../logger';

export interface OutgoingMessage {
  /** The notification delivered (for logs and provider idempotency keys). */
  notificationId: string;
  type: string;
  /** E-mail address or E.164 phone number. */
  to: string;
  subject: string;
  text: string;
}

/** Sends one message; throws when the provider refuses it (the dispatcher retries). */
export interface MessageTransport {
  send(message: OutgoingMessage): Promise<void>;
}

export interface MessageTransports {
  email: MessageTransport;
  sms: MessageTransport;
}

/** Logs that a message would be sent: the type, the notification and a masked recipient only. */
export function loggingTransport(logger: Logger, channel: 'EMAIL' | 'SMS'): MessageTransport {
  return {
    async send(message) {
      logger.info(
        {
          notificationId: message.notificationId,
          type: message.type,
          channel,
          to: channel === 'EMAIL' ? maskEmail(message.to) : maskPhone(message.to),
        },
        'notification message (logging transport)',
      );
    },
  };
}

/** SMTP through nodemailer; `url` is e.g. smtp://user:pass@mail.example.com:587 or smtps://…. */
export function smtpTransport(url: string, from: string): MessageTransport {
  let transporter: Promise<{ sendMail(options: object): Promise<unknown> }> | undefined;
  return {
    async send(message) {
      transporter ??= import('nodemailer').then((nodemailer) => nodemailer.createTransport(url));
      await (await transporter).sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { 'X-Notification-Id': message.notificationId },
      });
    },
  };
}

export interface TransportSettings {
  smtpUrl?: string;
  mailFrom: string;
}

/** The transports of the configuration: SMTP for e-mail when SMTP_URL is set, logging otherwise. */
export function createTransports(settings: TransportSettings, logger: Logger): MessageTransports {
  return {
    email: settings.smtpUrl ? smtpTransport(settings.smtpUrl, settings.mailFrom) : loggingTransport(logger, 'EMAIL'),
    sms: loggingTransport(logger, 'SMS'),
  };
}
