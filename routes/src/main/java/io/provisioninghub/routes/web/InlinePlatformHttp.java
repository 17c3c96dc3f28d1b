package io.provisioninghub.routes.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpEngine;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.DeferredResultMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Runs every Camel {@code platform-http} route on the servlet container's request thread.
 *
 * <p>camel-platform-http-starter hands each request to Spring's task executor and returns a
 * {@code CompletableFuture}, which makes Spring MVC start asynchronous processing and dispatch the request a
 * second time through the whole filter chain and {@code DispatcherServlet} once the route is done. None of the
 * hub's routes needs that: they are synchronous (JDBC, blocking HTTP clients, JMS sends) and short, and the
 * executor's 8 threads with an unbounded queue only added a thread hand-off, a second dispatch and a per-request
 * handler-method copy. Profiled on the §2.2 check cycle (docs/benchmarks.md, "What the cycle costs"), the
 * second dispatch and the hand-off were the largest single item of the request path.
 *
 * <p>Two pieces, both configuration of the starter rather than a replacement of it: the engine the starter
 * would create, but with a caller-runs executor (the route runs inside {@code service(..)}, which therefore
 * returns an already completed future); and a return-value handler, ahead of Spring's
 * {@link DeferredResultMethodReturnValueHandler}, that treats a completed future from the platform-http consumer
 * as "response written" instead of starting asynchronous processing. A future that is not complete (not
 * expected with this engine) still goes the asynchronous way. Concurrency is now bounded by the connectors'
 * request threads ({@code server.tomcat.threads.max}) and, for the database, by the connection pools.
 */
@Configuration(proxyBeanMethods = false)
class InlinePlatformHttp {

    /** Named as the starter names its own (which then steps back): Camel finds the engine by this name. */
    @Bean(name = "platform-http-engine")
    PlatformHttpEngine inlinePlatformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SpringBootPlatformHttpEngine(port, Runnable::run);
    }

    @Bean
    static BeanPostProcessor platformHttpHandlerAdapter() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    handlers.add(0, new CompletedPlatformHttpResponse(handlers.stream()
                            .filter(DeferredResultMethodReturnValueHandler.class::isInstance)
                            .findFirst()
                            .orElseThrow(() -> new IllegalStateException("Spring MVC has no handler for futures"))));
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    /**
     * Spring MVC's validator, which Spring MVC also uses for method validation: with a Bean Validation validator
     * there, it looks up the handler method's validation groups by annotation scanning on every request (profiled
     * at ~7 % of a configuration request's CPU). The hub has no {@code @Controller}: its handlers are the
     * platform-http consumers, and the routes validate their input themselves (the RCC.14 Table 1 rules, the
     * operator API's checks). {@code @Validated} configuration properties are validated by Spring Boot's binder,
     * not by this validator.
     */
    @Bean
    WebMvcConfigurer noSpringMvcValidation() {
        return new WebMvcConfigurer() {
            @Override
            public Validator getValidator() {
                return new Validator() {
                    @Override
                    public boolean supports(Class<?> type) {
                        return false;
                    }

                    @Override
                    public void validate(Object target, Errors errors) {
                        // nothing is validated through Spring MVC (see above)
                    }
                };
            }
        };
    }

    /** The platform-http consumer's future, already completed because the route ran on this thread. */
    static final class CompletedPlatformHttpResponse implements HandlerMethodReturnValueHandler {

        private final HandlerMethodReturnValueHandler asynchronous;

        CompletedPlatformHttpResponse(HandlerMethodReturnValueHandler asynchronous) {
            this.asynchronous = asynchronous;
        }

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return SpringBootPlatformHttpConsumer.class.isAssignableFrom(returnType.getContainingClass())
                    && CompletionStage.class.isAssignableFrom(returnType.getParameterType());
        }

        @Override
        public void handleReturnValue(Object returnValue, MethodParameter returnType,
                ModelAndViewContainer container, NativeWebRequest request) throws Exception {
            if (returnValue instanceof CompletableFuture<?> future && future.isDone() && !future.isCompletedExceptionally()) {
                // The consumer has written the response (status, headers, body) itself.
                container.setRequestHandled(true);
                return;
            }
            asynchronous.handleReturnValue(returnValue, returnType, container, request);
        }
    }
}
