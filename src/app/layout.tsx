import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: 'NAS Panel',
  description: 'NAS devices and RouterOS routers',
  // Static assets live in public/: the SVG for browsers that take it, the ICO for the rest.
  icons: {
    icon: [
      { url: '/favicon.svg', type: 'image/svg+xml' },
      { url: '/favicon.ico', sizes: '32x32' },
    ],
  },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
