import { defineMessages } from './define.js';

// Governance (治理): deadlines and the SLA page.
export const governance = defineMessages({
  zh: {
    'menu.dashboards.deadlines': '办理时限',
    'sla.title': '办理时限统计',
    'sla.subtitle':
      '各提供单位答复共享申请的按时率与当前超期的申请；时限按北京时间的工作日计算（含法定节假日与调休）。',
    'sla.rules': '答复时限（工作日）',
    'sla.rule': '{grade}：{days} 个工作日',
    'sla.department': '提供单位',
    'sla.requests': '申请数',
    'sla.answered': '已答复',
    'sla.onTime': '按时答复',
    'sla.pending': '待答复',
    'sla.overdue': '已超期',
    'sla.rate': '按时率',
    'sla.overdueList': '超期申请',
    'sla.resource': '资源',
    'sla.consumer': '申请单位',
    'sla.dueDate': '截止日期',
    'sla.overdueDays': '超期工作日',
    'sla.escalated': '已督办',
    'sla.notEscalated': '未督办',
    'sla.none': '暂无超期申请',
    'sla.provisional': '部分时限跨越尚未发布节假日安排的年份，暂按周末计算。',
  },
  en: {
    'menu.dashboards.deadlines': 'Deadlines',
    'sla.title': 'Deadlines',
    'sla.subtitle':
      'How often each providing department answers access requests on time, and the requests overdue now; counted in working days in Beijing time (holidays and 调休 included).',
    'sla.rules': 'Deadlines (working days)',
    'sla.rule': '{grade}: {days} working days',
    'sla.department': 'Provider',
    'sla.requests': 'Requests',
    'sla.answered': 'Answered',
    'sla.onTime': 'On time',
    'sla.pending': 'Pending',
    'sla.overdue': 'Overdue',
    'sla.rate': 'On-time rate',
    'sla.overdueList': 'Overdue requests',
    'sla.resource': 'Resource',
    'sla.consumer': 'Applicant',
    'sla.dueDate': 'Due',
    'sla.overdueDays': 'Working days overdue',
    'sla.escalated': 'Escalated',
    'sla.notEscalated': 'Not escalated',
    'sla.none': 'No request is overdue',
    'sla.provisional':
      'Some deadlines cross a year whose holidays are not published yet: counted by weekends only.',
  },
});
