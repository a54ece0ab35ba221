import { lazy, Suspense } from 'react';
import { useAuth } from '../auth/auth-provider';
import { CenteredLoader } from '../components/centered-loader';

/** The live dashboard carries charts: its own chunk, fetched only by people who are signed in. */
const InvestorDashboard = lazy(async () => ({
  default: (await import('./dashboard/investor-dashboard')).InvestorDashboard,
}));

/** What Tradepool is, for visitors: a signed-in investor never downloads it. */
const OverviewPage = lazy(async () => ({ default: (await import('./overview-page')).OverviewPage }));

/** `/`: what Tradepool is for visitors; the live dashboard for anyone signed in. */
export function HomePage() {
  const { state } = useAuth();
  if (state.status !== 'signed-in' || state.totpEnrollmentRequired) {
    return (
      <Suspense fallback={<CenteredLoader label="Loading…" />}>
        <OverviewPage />
      </Suspense>
    );
  }
  return (
    <Suspense fallback={<CenteredLoader label="Loading your overview…" />}>
      <InvestorDashboard />
    </Suspense>
  );
}
