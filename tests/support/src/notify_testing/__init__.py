"""What notify-api's tests share: issue events shaped like docs/events.md fed through the real consumer, a
mailbox on a loopback SMTP server (`world`), and due timers seeded for the schedulers (`timers`)."""
