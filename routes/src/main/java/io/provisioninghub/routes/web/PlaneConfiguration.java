package io.provisioninghub.routes.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Puts {@link PlaneFilter} first in the servlet filter chain, and Spring Security behind it on the operator plane
 * only: Spring Boot would register Spring Security's filter for every request of every port.
 */
@Configuration(proxyBeanMethods = false)
class PlaneConfiguration {

    /** Spring Security's filter chain, as Spring Security names its bean. */
    static final String SECURITY_FILTER = "springSecurityFilterChain";
    /** Spring Boot's registration of that filter for every request (SecurityFilterAutoConfiguration). */
    static final String SECURITY_REGISTRATION = "securityFilterChainRegistration";

    @Bean
    FilterRegistrationBean<PlaneFilter> planeFilter(OperatorConnector operatorConnector,
                                                    @Qualifier(SECURITY_FILTER) ObjectProvider<Filter> security) {
        FilterRegistrationBean<PlaneFilter> registration =
                new FilterRegistrationBean<>(new PlaneFilter(operatorConnector, security::getObject));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Switches off Spring Boot's registration of Spring Security's filter for all requests (see PlaneFilter). */
    @Bean
    static BeanPostProcessor securityOnOperatorPlaneOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration
                        && SECURITY_REGISTRATION.equals(beanName)) {
                    registration.setEnabled(false);
                }
                return bean;
            }
        };
    }
}
