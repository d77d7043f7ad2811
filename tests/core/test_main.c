#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

int run_key_tests(void);
int run_story_tests(void);
int run_atomic_tests(void);

int main(void)
{
    int failed = 0;
    failed += run_key_tests();
    failed += run_story_tests();
    failed += run_atomic_tests();
    return failed;
}
