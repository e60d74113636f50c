package io.eventthread.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import io.eventthread.EventThread;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.scheduling.TaskScheduler;

/**
 * Warns once at start-up when an {@link EventThread} bean still made Spring Boot's
 * {@code applicationTaskExecutor} or {@code taskScheduler} back off: the case
 * {@link EventThreadTaskExecutionAutoConfiguration} cannot repair, a {@code @Bean} method that
 * declares a wider return type ({@code Executor}, {@code ScheduledExecutorService}), so the
 * group was not recognisable before it was created.
 */
class BootExecutorsCheck implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(BootExecutorsCheck.class);

    private final ConfigurableListableBeanFactory beanFactory;

    BootExecutorsCheck(ConfigurableListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String warning = warning();
        if (warning != null) {
            logger.warn(warning);
        }
    }

    private boolean present(Class<?> type) {
        return this.beanFactory.getBeanNamesForType(type, true, false).length > 0;
    }

    /** The warning, or {@code null} when Boot's beans are in place or backed off for other reasons. */
    String warning() {
        List<String> groups = new ArrayList<>();
        boolean otherExecutor = false;
        for (String name : this.beanFactory.getBeanNamesForType(Executor.class, true, false)) {
            if (!OnOnlyEventThreadsCondition.countedByBoot(this.beanFactory, name)) {
                continue;
            }
            Class<?> type = this.beanFactory.getType(name);
            if (type != null && EventThread.class.isAssignableFrom(type)) {
                // the auto-configured group is created after Boot's conditions: never a cause
                if (!OnOnlyEventThreadsCondition.isAutoConfiguredGroup(this.beanFactory, name)) {
                    groups.add(name);
                }
            }
            else if (type == null || !TaskScheduler.class.isAssignableFrom(type)) {
                otherExecutor = true;
            }
        }
        boolean otherScheduler = false;
        for (Class<?> schedulerType : new Class<?>[] { TaskScheduler.class, ScheduledExecutorService.class }) {
            for (String name : this.beanFactory.getBeanNamesForType(schedulerType, true, false)) {
                Class<?> type = this.beanFactory.getType(name);
                if (OnOnlyEventThreadsCondition.countedByBoot(this.beanFactory, name)
                        && (type == null || !EventThread.class.isAssignableFrom(type))
                        && !EventThreadTaskExecutionAutoConfiguration.TASK_SCHEDULER.equals(name)) {
                    otherScheduler = true;
                }
            }
        }
        if (groups.isEmpty()) {
            return null;
        }
        List<String> lost = new ArrayList<>();
        // only where Boot's task auto-configurations ran: their builder beans exist regardless
        boolean bootExecution = present(ThreadPoolTaskExecutorBuilder.class) || present(SimpleAsyncTaskExecutorBuilder.class);
        boolean bootScheduling = present(ThreadPoolTaskSchedulerBuilder.class) || present(SimpleAsyncTaskSchedulerBuilder.class);
        if (bootExecution && !otherExecutor && !this.beanFactory.containsBean(EventThreadTaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR)) {
            lost.add("'applicationTaskExecutor' (unqualified @Async methods now run on a SimpleAsyncTaskExecutor, "
                    + "a new thread per call)");
        }
        if (bootScheduling && !otherScheduler && this.beanFactory.containsBean(EventThreadTaskExecutionAutoConfiguration.SCHEDULED_ANNOTATION_PROCESSOR)
                && !this.beanFactory.containsBean(EventThreadTaskExecutionAutoConfiguration.TASK_SCHEDULER)) {
            lost.add("'taskScheduler' (unqualified @Scheduled methods now run on an event loop of " + groups
                    + ", where a blocking job stalls the loop)");
        }
        if (lost.isEmpty()) {
            return null;
        }
        return "Spring Boot's " + String.join(" and ", lost) + " backed off because of the EventThread bean(s) "
                + groups + ", which are Executors. Declare EventThread as the return type of their @Bean methods "
                + "(EventThread's auto-configuration then keeps Boot's beans), or mark them "
                + "@Bean(defaultCandidate = false) and inject them by name.";
    }

}
