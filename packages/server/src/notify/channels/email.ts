/** E-mail over SMTP (sent with nodemailer, see `transport.ts`): a plain-text and an HTML part. */
import type { AlertNotification } from '../../domain/index.js';
import { alertLines, dashboardUrl, model, title } from '../format.js';
import type { ChannelDriver } from './driver.js';

function html(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function labelLines(notification: AlertNotification): [string, string][] {
  return Object.entries(notification.commonLabels);
}

export function emailBodies(notification: AlertNotification): {
  subject: string;
  text: string;
  html: string;
} {
  const subject = title(notification);
  const link = dashboardUrl(notification);
  const lines = alertLines(notification);
  const summary = notification.commonAnnotations.summary;
  const modelName = model(notification);
  const text = [
    subject,
    '',
    ...(modelName ? [`Model: ${modelName}`] : []),
    ...(summary ? [summary] : []),
    '',
    'Alerts:',
    ...lines.map((line) => `  - ${line}`),
    '',
    ...labelLines(notification).map(([name, value]) => `${name}: ${value}`),
    ...(link ? ['', `Open in Vigil: ${link}`] : []),
    '',
    `Group: ${notification.groupKey}`,
    '',
  ].join('\n');
  const color = notification.status === 'firing' ? '#c0392b' : '#27ae60';
  const body = `<!doctype html><html><body style="font-family:sans-serif">
<h2 style="color:${color}">${html(subject)}</h2>
${modelName ? `<p><b>Model:</b> ${html(modelName)}</p>` : ''}
${summary ? `<p>${html(summary)}</p>` : ''}
<ul>${lines.map((line) => `<li>${html(line)}</li>`).join('')}</ul>
<table>${labelLines(notification)
    .map(([name, value]) => `<tr><td><b>${html(name)}</b></td><td>${html(value)}</td></tr>`)
    .join('')}</table>
${link ? `<p><a href="${html(link)}">Open in Vigil</a></p>` : ''}
<p style="color:#888">Group: ${html(notification.groupKey)}</p>
</body></html>`;
  return { subject, text, html: body };
}

export const emailDriver: ChannelDriver = {
  render({ notification }) {
    return { kind: 'email', ...emailBodies(notification) };
  },
  redact(config) {
    // A password is never partly shown: it may be short, or reused.
    return config.password === undefined ? { ...config } : { ...config, password: '****' };
  },
};
