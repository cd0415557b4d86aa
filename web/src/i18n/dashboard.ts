import { defineMessages } from './define.js';

// The big-screen dashboard (数据大屏) for officials.
export const dashboard = defineMessages({
  zh: {
    'dash.title': '数据共享交换总览',
    'dash.fullscreen': '全屏',
    'dash.exitFullscreen': '退出全屏',
    'dash.resources': '目录资源',
    'dash.providers': '提供单位',
    'dash.shareable': '可共享资源',
    'dash.open': '开放资源',
    'dash.byDepartment': '各部门资源数',
    'dash.sharing': '共享类型',
    'dash.openTypes': '开放类型',
    'dash.grades': '数据分级',
    'dash.map': '各省（区、市）资源分布',
    'dash.mapFallback': '地图底图（中国省级 GeoJSON）尚未随平台提供，暂以按行政区划代码的柱状图显示。',
    'dash.requests': '每日调用与申请',
    'dash.top': '热门资源',
    'dash.approval': '审批时长',
    'dash.pendingApi': '等待接口 {api}',
  },
  en: {
    'dash.title': 'Data sharing overview',
    'dash.fullscreen': 'Full screen',
    'dash.exitFullscreen': 'Exit full screen',
    'dash.resources': 'Catalog resources',
    'dash.providers': 'Providers',
    'dash.shareable': 'Shareable',
    'dash.open': 'Open',
    'dash.byDepartment': 'Resources by department',
    'dash.sharing': 'Sharing type',
    'dash.openTypes': 'Open type',
    'dash.grades': 'Grade',
    'dash.map': 'Resources by province',
    'dash.mapFallback':
      'The China province map (GeoJSON) is not bundled yet; shown as a bar chart by region code meanwhile.',
    'dash.requests': 'Calls and requests per day',
    'dash.top': 'Top resources',
    'dash.approval': 'Approval times',
    'dash.pendingApi': 'Waiting for {api}',
  },
});
