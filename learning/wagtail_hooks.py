from wagtail import hooks

from learning.views.courses import PAGE_VIEWS


@hooks.register("before_serve_page")
def serve_course_pages_with_learner_state(page, request, serve_args, serve_kwargs):
    view = PAGE_VIEWS.get(type(page))
    if view is not None:
        return view(request, page)
    return None
