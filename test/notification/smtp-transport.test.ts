// The SMTP transport (nodemailer) against a REAL minimal SMTP server on a random local port: the
// message arrives with its recipient, subject and text; a refused recipient is an error the
// dispatcher retries.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { smtpTransport } from '../../src/modules/notification/notification.transports';

interface Mail {
  from: string;
  to: string[];
  data: string;
}

/** Speaks just enough SMTP (RFC 5321) for one client; refuses recipients while `refuse()` says so. */
function startSmtp(refuse: () => boolean) {
  const mails: Mail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    let inData = false;
    let mail: Mail = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 test.local ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push(mail);
          mail = { from: '', to: [], data: '' };
          reply('250 2.0.0 queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 test.local');
        else if (verb === 'MAIL') {
          mail.from = line;
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          if (refuse()) reply('550 5.1.1 mailbox unavailable');
          else {
            mail.to.push(line);
            reply('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('502 not implemented');
      }
    });
  });
  return new Promise<{ url: string; mails: Mail[]; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `smtp://127.0.0.1:${port}`,
        mails,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    }),
  );
}

describe('SMTP transport', () => {
  it('delivers the message to the SMTP server, and reports a refused recipient as a failure', async () => {
    let refusing = true;
    const smtp = await startSmtp(() => refusing);
    try {
      const transport = smtpTransport(smtp.url, 'crm@example.com');
      const message = {
        notificationId: '0b7f9e1c-1111-4222-8333-444455556666',
        type: 'WELCOME',
        to: 'jane@example.com',
        subject: 'Welcome',
        text: 'Welcome\n\ncustomerNumber: 42',
      };
      await expect(transport.send(message)).rejects.toThrow(/550|mailbox unavailable/);
      expect(smtp.mails).toHaveLength(0);
      refusing = false;
      await transport.send(message);
      expect(smtp.mails).toHaveLength(1);
      const [mail] = smtp.mails;
      expect(mail.from).toContain('<crm@example.com>');
      expect(mail.to).toEqual([expect.stringContaining('<jane@example.com>')]);
      expect(mail.data).toMatch(/^Subject: Welcome$/m);
      expect(mail.data).toMatch(/^X-Notification-Id: 0b7f9e1c-1111-4222-8333-444455556666$/im);
      expect(mail.data).toContain('customerNumber: 42');
    } finally {
      await smtp.close();
    }
  });
});
