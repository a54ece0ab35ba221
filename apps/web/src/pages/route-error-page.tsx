import { Box } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { isRouteErrorResponse, useLocation, useNavigate, useRouteError } from 'react-router';
import { ErrorPanel } from '../components/error-panel';
import { NotFoundPage } from './not-found-page';

interface RouteErrorPageProps {
  /** The shell itself failed: there is no header or navbar around this page, so give it room of its own. */
  fullPage?: boolean;
}

/** The router's `errorElement`: a 404 thrown by a route reads as not-found, anything else as a friendly failure. */
export function RouteErrorPage({ fullPage = false }: RouteErrorPageProps) {
  const error = useRouteError();
  const navigate = useNavigate();
  const location = useLocation();
  useDocumentTitle('Something went wrong · Tradepool');

  if (isRouteErrorResponse(error) && error.status === 404) {
    return <NotFoundPage />;
  }

  // Navigating to the same URL gives the router a new location, which resets its error boundary and renders again.
  const tryAgain = () => {
    void navigate(location, { replace: true });
  };

  return (
    <Box p={fullPage ? 'md' : 0} pt={fullPage ? '10vh' : 0}>
      <ErrorPanel error={error} onTryAgain={tryAgain} />
    </Box>
  );
}
