% rebase('base.tpl', title=title, q=q)
<section class="error-page" aria-labelledby="error-title">
  <p class="kicker">Error {{status}}</p>
  <h1 id="error-title">{{title}}</h1>
  <p class="message">{{message}}</p>
  <p><a href="{{url('/')}}">Go to the front page</a>, or search the archive above.</p>
</section>
