import SearchPage from '../portal/search-page.js';

/** 共享目录: the portal's search in the signed-in view (the caller's visibility, sharing conditions). */
export default function SharedCatalogPage() {
  return <SearchPage shared />;
}
