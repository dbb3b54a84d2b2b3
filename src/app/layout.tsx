import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = { title: 'NAS Panel', description: 'NAS devices and RouterOS routers' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
