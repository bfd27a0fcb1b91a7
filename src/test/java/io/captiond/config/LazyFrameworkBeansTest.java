package io.captiond.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.core.Folders;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.web.servlet.view.InternalResourceViewResolver;

/** Framework beans wait for first use; captiond's own, which check the set-up, are made at start. */
class LazyFrameworkBeansTest {

    private final LazyInitializationExcludeFilter filter = LazyFrameworkBeans.captiondBeansStayEager();

    @Test
    void captiondsOwnBeansAreMadeAtStartSoThatASetUpMistakeStopsStartUp() {
        assertThat(filter.isExcluded("folders", new RootBeanDefinition(Folders.class), Folders.class)).isTrue();
        assertThat(filter.isExcluded("folderCheck", new RootBeanDefinition(FolderCheck.class), FolderCheck.class)).isTrue();
    }

    @Test
    void frameworkBeansWaitForFirstUse() {
        assertThat(filter.isExcluded("viewResolver", new RootBeanDefinition(InternalResourceViewResolver.class),
                InternalResourceViewResolver.class)).isFalse();
    }
}
